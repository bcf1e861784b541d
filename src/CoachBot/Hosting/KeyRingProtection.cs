using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace CoachBot.Hosting;

/// <summary>
/// ASP.NET Core Data Protection for stored Slack tokens and OAuth state. The key ring lives in the bot's database so
/// every replica can decrypt what another encrypted; <c>DataProtection:CertificatePath</c> (a PKCS#12 file with its
/// private key, <c>DataProtection:CertificatePassword</c> if it has one) encrypts the ring's keys at rest, so a copy of
/// the database alone does not decrypt the tokens in it.
/// </summary>
internal static partial class KeyRingProtection
{
    public const string CertificatePathKey = "DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "DataProtection:CertificatePassword";

    /// <summary>Registers Data Protection; returns a problem naming the setting when the certificate cannot be used.</summary>
    public static string? AddCoachBotDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddDataProtection().SetApplicationName("CoachBot").PersistKeysToDbContext<Storage.CoachBotDbContext>();
        var path = configuration[CertificatePathKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            return $"{CertificatePathKey} names a file that does not exist: {Path.GetFullPath(path)}";
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[CertificatePasswordKey]);
        }
        catch (CryptographicException)
        {
            // The exception's text says nothing more useful and may echo parts of the file.
            return $"{CertificatePathKey} could not be read as a PKCS#12 (.pfx) file with {CertificatePasswordKey}: {Path.GetFullPath(path)}";
        }

        if (!certificate.HasPrivateKey)
        {
            return $"{CertificatePathKey} holds no private key, which is needed to decrypt the key ring: {Path.GetFullPath(path)}";
        }

        builder.ProtectKeysWithCertificate(certificate);
        return null;
    }

    /// <summary>Warns in Production when the key ring would be stored unencrypted beside the tokens it protects.</summary>
    public static void WarnIfUnprotected(IConfiguration configuration, IHostEnvironment environment, ILogger logger)
    {
        if (environment.IsProduction() && string.IsNullOrWhiteSpace(configuration[CertificatePathKey]))
        {
            LogUnprotected(logger, CertificatePathKey);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Setting} is not set: the Data Protection key ring is stored unencrypted in the same database as the Slack tokens it encrypts. Set it to a .pfx certificate to encrypt the ring at rest.")]
    private static partial void LogUnprotected(ILogger logger, string setting);
}
