using System.Net;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Commands;
using CoachBot.Endpoints;
using CoachBot.Slack;

namespace CoachBot.Tests;

/// <summary>The app manifests promise routes, commands and events; these tests hold the code to them, both ways.</summary>
public sealed class ManifestTests
{
    private static JsonNode Slack => JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "manifest", "slack", "manifest.json")))!;

    private static JsonNode Teams => JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "manifest", "teams", "manifest.json")))!;

    [Fact]
    public void Slack_manifest_urls_are_exactly_the_routes_the_host_maps()
    {
        var manifest = Slack;
        string[] urls =
        [
            manifest["settings"]!["event_subscriptions"]!["request_url"]!.GetValue<string>(),
            manifest["settings"]!["interactivity"]!["request_url"]!.GetValue<string>(),
            .. manifest["features"]!["slash_commands"]!.AsArray().Select(c => c!["url"]!.GetValue<string>()),
            .. manifest["oauth_config"]!["redirect_urls"]!.AsArray().Select(u => u!.GetValue<string>()),
        ];

        Assert.Equal(
            new SortedSet<string> { SlackEndpoints.EventsPath, SlackEndpoints.CommandsPath, SlackEndpoints.InteractivePath, SlackOAuthEndpoints.RedirectPath },
            new SortedSet<string>(urls.Select(u => new Uri(u).AbsolutePath)));
    }

    [Fact]
    public void Slack_manifest_subscribes_to_exactly_the_events_the_code_handles()
    {
        var events = Slack["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(e => e!.GetValue<string>());
        Assert.Equal(new SortedSet<string>(SlackEventParser.SubscribedEvents), new SortedSet<string>(events));
    }

    [Fact]
    public void Slack_manifest_declares_one_coach_command_whose_hint_the_router_understands()
    {
        var command = Assert.Single(Slack["features"]!["slash_commands"]!.AsArray())!;
        Assert.Equal("/coach", command["command"]!.GetValue<string>());
        foreach (var hint in command["usage_hint"]!.GetValue<string>().Split('|', StringSplitOptions.TrimEntries).Skip(1))
        {
            Assert.IsNotType<BotCommand.Invalid>(CommandRouter.Parse(hint));
            Assert.IsNotType<BotCommand.Check>(CommandRouter.Parse(hint));
        }
    }

    [Fact]
    public void Teams_manifest_lists_exactly_the_commands_the_router_knows()
    {
        var titles = CoachBot.Teams.TeamsManifest.CommandTitles(Teams.ToJsonString());
        Assert.Equal(new SortedSet<string>(HelpContent.CommandWords), new SortedSet<string>(titles));
    }

    [Fact]
    public async Task Every_manifest_route_is_served_by_the_running_host()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack, oauth: true, new Dictionary<string, string> { ["Teams__AllowUnauthenticatedLocalClients"] = "true" });
        using var browser = SlackBotHost.NewClient(host.Port, followRedirects: false);

        // Served routes refuse an unsigned request (401) or answer it; only an unmapped route is 404.
        foreach (var path in new[] { SlackEndpoints.EventsPath, SlackEndpoints.CommandsPath, SlackEndpoints.InteractivePath })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync(new Uri(path, UriKind.Relative), new StringContent("x"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(new Uri(SlackOAuthEndpoints.InstallPath, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync(new Uri(SlackOAuthEndpoints.RedirectPath + "?code=x&state=y", UriKind.Relative))).StatusCode);
        using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(TeamsEndpoints.Path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(head)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync(new Uri("/slack/unknown", UriKind.Relative), new StringContent("x"))).StatusCode);
    }
}
