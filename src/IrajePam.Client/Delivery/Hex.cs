using System.Security.Cryptography;
using System.Text;

namespace IrajePam.Client.Delivery
{
    internal static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static string Lower(byte[] bytes, int count = -1)
        {
            int n = count < 0 ? bytes.Length : count;
            var sb = new StringBuilder(n * 2);
            for (int i = 0; i < n; i++)
            {
                sb.Append(Digits[bytes[i] >> 4]).Append(Digits[bytes[i] & 0xF]);
            }

            return sb.ToString();
        }

        public static string Sha256(byte[] data, int offset, int count)
        {
            using var sha = SHA256.Create();
            return Lower(sha.ComputeHash(data, offset, count));
        }

        public static string Sha256(byte[] data) => Sha256(data, 0, data.Length);
    }
}
