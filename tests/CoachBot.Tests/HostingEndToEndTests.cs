using System.Net;
using System.Text.Json.Nodes;

namespace CoachBot.Tests;

/// <summary>
/// The published binary started the way a container platform starts it: no <c>--urls</c> from us unless the case says
/// so, the address from the standard ASP.NET Core settings, logs on standard error.
/// </summary>
public sealed class HostingEndToEndTests
{
    [Theory]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:0")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "0")]
    [InlineData("Kestrel__Endpoints__Http__Url", "http://127.0.0.1:0")]
    public async Task The_published_host_listens_where_the_standard_setting_says(string setting, string value)
    {
        await using var host = await RunningHost.StartAsync(new() { [setting] = value, ["Slack__SigningSecret"] = "s", ["Slack__BotToken"] = "t" });

        using var ready = await host.Http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains(host.Stderr, l => l.Contains("Channels on: Slack at /slack/events, /slack/commands, /slack/interactive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_urls_argument_wins_and_logs_go_to_standard_error_only()
    {
        await using var host = await RunningHost.StartAsync(new() { ["Teams__AllowUnauthenticatedLocalClients"] = "true" }, "--urls", "http://127.0.0.1:0");

        using var health = await host.Http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains(host.Stderr, l => l.Contains("Teams at /api/messages (UNAUTHENTICATED, loopback clients only", StringComparison.Ordinal));
        Assert.Empty(host.Stdout);
    }

    [Fact]
    public async Task A_production_host_with_no_channel_warns_and_is_not_plainly_ready()
    {
        await using var host = await RunningHost.StartAsync(new() { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0", ["ASPNETCORE_ENVIRONMENT"] = "Production" });

        using var ready = await host.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;

        Assert.Equal("Degraded", report["status"]?.GetValue<string>());
        Assert.Equal("Degraded", report["entries"]?["channels"]?["status"]?.GetValue<string>());
        Assert.Contains(host.Stderr, l => l.Contains("CoachBot will answer nobody: no channel is configured", StringComparison.Ordinal));
        Assert.Contains(host.Stderr, l => l.Contains("DataProtection:CertificatePath is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_ring_certificate_that_does_not_exist_stops_start_up_naming_the_setting()
    {
        var result = await CoachBotProcess.RunAsync(
            ["--urls", "http://127.0.0.1:0"],
            environment: new Dictionary<string, string>
            {
                ["DataProtection__CertificatePath"] = "/no/such/keyring.pfx",
                ["Storage__DataDirectory"] = Directory.CreateTempSubdirectory("coachbot-hosting-").FullName,
            });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("DataProtection:CertificatePath", result.Stderr, StringComparison.Ordinal);
    }
}
