using System.Net;

namespace CoachBot.Tests;

public sealed class HostTests
{
    [Fact]
    public async Task The_host_serves_health_and_readiness_on_loopback()
    {
        var port = Loopback.FreePort();
        using var host = CoachBotProcess.StartHost(port);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var health = await WaitForAsync(http, "/healthz");
            var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("\"rules\":", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            host.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task The_host_refuses_to_start_with_broken_overrides_and_names_the_setting()
    {
        using var host = CoachBotProcess.StartHost(
            Loopback.FreePort(), new Dictionary<string, string> { ["Coaching__OverridesPath"] = "/no/such/coachbot/overrides" }, readStandardError: false);
        var stderr = host.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await host.WaitForExitAsync(timeout.Token);

        Assert.Equal(3, host.ExitCode);
        Assert.Contains("Coaching:OverridesPath", await stderr, StringComparison.Ordinal);
        Assert.Contains("/no/such/coachbot/overrides", await stderr, StringComparison.Ordinal);
    }


    private static async Task<HttpResponseMessage> WaitForAsync(HttpClient http, string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await http.GetAsync(new Uri(path, UriKind.Relative));
            }
            catch (HttpRequestException) when (attempt < 300)
            {
                await Task.Delay(100);
            }
        }
    }
}
