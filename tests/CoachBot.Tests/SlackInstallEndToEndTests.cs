using System.Net;
using System.Text;
using System.Web;

namespace CoachBot.Tests;

/// <summary>Multi-workspace installs through OAuth v2, then coaching with the stored token, then uninstall.</summary>
public sealed class SlackInstallEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_workspace_installed_through_oauth_is_coached_with_its_own_encrypted_token_until_it_uninstalls()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack, oauth: true);
        using var browser = SlackBotHost.NewClient(host.Port, followRedirects: false);

        var (state, cookie) = await StartInstallAsync(browser);
        var done = await FinishInstallAsync(browser, state, cookie, "code-1");

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Acme Sales", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var exchange = Assert.Single(slack.Bodies("oauth.v2.access"));
        Assert.Equal("code-1", exchange["code"]!.GetValue<string>());
        Assert.False(File.ReadAllText(host.DatabaseFile, Encoding.Latin1).Contains("xoxb-installed", StringComparison.Ordinal), "the bot token is stored in plain text");

        await host.PostEventAsync(SlackBotHost.DmEvent("EvI1", "1700000010.000100", "What does your purchasing process look like?"));
        await slack.WaitForPostsAsync(1, Wait);
        Assert.Equal("Bearer xoxb-installed", slack.Calls.Single(c => c.Method == "chat.postMessage").Authorization);

        await host.PostEventAsync(SlackBotHost.Envelope("EvUninstall", """{"type":"app_uninstalled","event_ts":"1700000011.0"}"""));
        await WaitUntilAsync(async () => await host.ScalarAsync("SELECT COUNT(*) FROM slack_installations") == 0);
        await host.PostEventAsync(SlackBotHost.DmEvent("EvI2", "1700000012.000100", "Do you have budget?"));
        await Task.Delay(2000);
        Assert.Single(slack.Posts());
    }

    [Fact]
    public async Task Forged_replayed_and_foreign_browser_states_install_nothing()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack, oauth: true);
        using var browser = SlackBotHost.NewClient(host.Port, followRedirects: false);
        var (state, cookie) = await StartInstallAsync(browser);

        var forged = await FinishInstallAsync(browser, "forged-state", "forged-state", "code-x");
        var noCookie = await FinishInstallAsync(browser, state, null, "code-x");
        var first = await FinishInstallAsync(browser, state, cookie, "code-1");
        var replay = await FinishInstallAsync(browser, state, cookie, "code-2");
        var cancelled = await browser.GetAsync(new Uri("/slack/oauth_redirect?error=access_denied&state=" + Uri.EscapeDataString(state), UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noCookie.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Single(slack.Bodies("oauth.v2.access"));
        Assert.Equal(1L, await host.ScalarAsync("SELECT COUNT(*) FROM slack_installations"));
    }

    private static async Task<(string State, string Cookie)> StartInstallAsync(HttpClient browser)
    {
        var install = await browser.GetAsync(new Uri("/slack/install", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, install.StatusCode);
        var location = install.Headers.Location!;
        Assert.Equal("slack.com", location.Host);
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("111.222", query["client_id"]);
        Assert.Contains("chat:write", query["scope"], StringComparison.Ordinal);
        var cookie = install.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("slack-app-oauth-state=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        return (query["state"]!, Uri.UnescapeDataString(cookie.Split(';')[0]["slack-app-oauth-state=".Length..]));
    }

    private static async Task<HttpResponseMessage> FinishInstallAsync(HttpClient browser, string state, string? cookie, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/slack/oauth_redirect?code={code}&state={Uri.EscapeDataString(state)}", UriKind.Relative));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", "slack-app-oauth-state=" + Uri.EscapeDataString(cookie));
        }

        return await browser.SendAsync(request);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100);
        }
    }
}
