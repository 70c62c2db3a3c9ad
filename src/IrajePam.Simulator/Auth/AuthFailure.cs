namespace IrajePam.Simulator.Auth
{
    /// <summary>Why a request was not authenticated; <see cref="Code"/> is the wire error code.</summary>
    internal sealed class AuthFailure
    {
        public static readonly AuthFailure Missing = new AuthFailure("authentication_required", "Authentication is required: use HTTP Basic or a Bearer token from /api/auth/login.");
        public static readonly AuthFailure InvalidCredentials = new AuthFailure("invalid_credentials", "The user name or password is incorrect.");
        public static readonly AuthFailure AccountLocked = new AuthFailure("account_locked", "The account is locked after too many failed attempts. Ask a PAM administrator to unlock it.");
        public static readonly AuthFailure MfaRequired = new AuthFailure("mfa_required", "Multi-factor authentication is enforced for this account; API access needs an account without MFA.");
        public static readonly AuthFailure PasswordExpired = new AuthFailure("password_expired", "The account's password has expired and must be changed in the PAM portal.");
        public static readonly AuthFailure InvalidToken = new AuthFailure("invalid_token", "The bearer token is not known or was revoked.");
        public static readonly AuthFailure TokenExpired = new AuthFailure("token_expired", "The bearer token has expired; log in again.");
        public static readonly AuthFailure Malformed = new AuthFailure("invalid_request", "The Authorization header is malformed.");

        private AuthFailure(string code, string message)
        {
            Code = code;
            Message = message;
        }

        public string Code { get; }
        public string Message { get; }
    }
}
