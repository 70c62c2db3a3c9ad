using System;
using System.Globalization;

namespace IrajePam.Bench
{
    /// <summary>Command line: MODE --uri URL --user NAME --ca PEM --since ISO --until ISO [--page-size N].</summary>
    internal sealed class BenchOptions
    {
        public string Mode { get; private set; } = "";

        public Uri Uri { get; private set; } = new Uri("https://127.0.0.1/");

        public string User { get; private set; } = "";

        public string CaPath { get; private set; } = "";

        public DateTimeOffset Since { get; private set; }

        public DateTimeOffset Until { get; private set; }

        public int PageSize { get; private set; } = 1000;

        public static BenchOptions Parse(string[] args)
        {
            if (args.Length == 0)
            {
                throw new ArgumentException("Usage: IrajePam.Bench ceiling|raw --uri URL --user NAME --ca PEM --since ISO --until ISO [--page-size N]");
            }
            var options = new BenchOptions { Mode = args[0] };
            for (var i = 1; i < args.Length; i += 2)
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"'{args[i]}' needs a value.");
                }
                var value = args[i + 1];
                switch (args[i])
                {
                    case "--uri":
                        options.Uri = new Uri(value.EndsWith('/') ? value : value + "/");
                        break;
                    case "--user":
                        options.User = value;
                        break;
                    case "--ca":
                        options.CaPath = value;
                        break;
                    case "--since":
                        options.Since = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                        break;
                    case "--until":
                        options.Until = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                        break;
                    case "--page-size":
                        options.PageSize = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    default:
                        throw new ArgumentException($"Unknown option '{args[i]}'.");
                }
            }
            if (options.User.Length == 0 || options.CaPath.Length == 0 || options.Since == default || options.Until == default)
            {
                throw new ArgumentException("--user, --ca, --since and --until are required.");
            }
            return options;
        }
    }
}
