using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;

namespace CoachBot.Tests;

/// <summary>The Data Protection key ring in the host's SQLite file, with and without DataProtection:CertificatePath.</summary>
public sealed class KeyRingAtRestTests
{
    [Fact]
    public async Task With_a_certificate_the_key_ring_is_stored_encrypted_and_still_works()
    {
        var folder = Directory.CreateTempSubdirectory("coachbot-keyring-").FullName;
        var pfx = Path.Combine(folder, "keyring.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=coachbot-keyring-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, "pfx-pass"));
        }

        await using var host = await StartOAuthHostAsync(new()
        {
            ["DataProtection__CertificatePath"] = pfx,
            ["DataProtection__CertificatePassword"] = "pfx-pass",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });

        // The install link protects its state with Data Protection: the first use makes the ring's first key.
        await InstallTwiceAsync(host);
        var xml = await KeyXmlAsync(host);

        Assert.Contains("EncryptedXmlDecryptor", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Stderr, l => l.Contains("DataProtection:CertificatePath is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_certificate_the_key_ring_is_plain_and_production_says_so()
    {
        await using var host = await StartOAuthHostAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" });

        await InstallTwiceAsync(host);

        Assert.Contains("<value>", await KeyXmlAsync(host), StringComparison.Ordinal);
        Assert.Contains(host.Stderr, l => l.Contains("DataProtection:CertificatePath is not set", StringComparison.Ordinal));
    }

    private static Task<RunningHost> StartOAuthHostAsync(Dictionary<string, string> settings)
    {
        settings["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        settings["Slack__SigningSecret"] = "s";
        settings["Slack__ClientId"] = "111.222";
        settings["Slack__ClientSecret"] = "c";
        return RunningHost.StartAsync(settings);
    }

    private static async Task InstallTwiceAsync(RunningHost host)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Http.BaseAddress };
        for (var i = 0; i < 2; i++)
        {
            using var response = await http.GetAsync(new Uri("/slack/install", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
    }

    private static async Task<string> KeyXmlAsync(RunningHost host)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(Xml, '') FROM data_protection_keys";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
