using System.Text.Json.Nodes;

namespace CoachBot.Slack.Tests;

/// <summary>Answering through a slash command's or button's <c>response_url</c>, and the host check in front of it.</summary>
public sealed class RespondTests : IDisposable
{
    private readonly LoopbackSlack _slack = new();

    public void Dispose() => _slack.Dispose();

    private static JsonObject Reply() => new() { ["response_type"] = "ephemeral", ["text"] = "Here's one to try." };

    private Uri Hook => new(_slack.BaseUrl, "commands/T1/1/abc");

    [Theory]
    [InlineData("ok")]
    [InlineData("""{"ok":true}""")]
    public async Task Posts_the_reply_as_json_with_no_token(string answer)
    {
        _slack.Then(200, answer);

        await _slack.Client().RespondAsync(Hook, Reply(), CancellationToken.None);

        var request = Assert.Single(_slack.Requests);
        Assert.Equal(("POST", "/commands/T1/1/abc"), (request.Method, request.RawUrl));
        Assert.Null(request.Authorization);
        Assert.Equal("ephemeral", request.Json["response_type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(404, "expired_url", "expired_url")]
    [InlineData(404, "used_url", "used_url")]
    [InlineData(400, """{"ok":false,"error":"no_text"}""", "no_text")]
    [InlineData(502, "<html>Bad gateway</html>", "http_502")]
    [InlineData(200, """{"ok":false,"error":"invalid_blocks"}""", "invalid_blocks")]
    public async Task Throws_slacks_error_code_when_the_response_url_refuses(int status, string answer, string code)
    {
        _slack.Then(status, answer);

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _slack.Client().RespondAsync(Hook, Reply(), CancellationToken.None));

        Assert.Equal(("response_url", code), (error.Method, error.Error));
        Assert.Single(_slack.Requests);
    }

    [Fact]
    public async Task Waits_out_a_429_on_a_response_url_too()
    {
        var clock = new InstantClock();
        _slack.Then(429, "rate_limited", ("Retry-After", "2"));

        await _slack.Client(clock).RespondAsync(Hook, Reply(), CancellationToken.None);

        Assert.Equal(2, _slack.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(2)], clock.Waits);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/commands/T1/1/abc")]
    [InlineData("https://HOOKS.slack.com/actions/T1/1/abc")]
    [InlineData("https://hooks.slack.com:443/commands/T1/1/abc")]
    public void Allows_slacks_hooks_host_over_https(string url) =>
        Assert.True(ResponseUrls.IsAllowed(new Uri(url), new Uri("https://slack.com/api/")));

    [Theory]
    [InlineData("http://hooks.slack.com/commands/T1/1/abc")] // not TLS
    [InlineData("https://hooks.slack.com:8443/commands/T1/1/abc")]
    [InlineData("https://hooks.slack.com.evil.example/commands")]
    [InlineData("https://evilhooks.slack.com/commands")]
    [InlineData("https://slack.com@169.254.169.254/latest/meta-data")]
    [InlineData("https://user@hooks.slack.com/commands")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://127.0.0.1:8080/admin")]
    [InlineData("file:///etc/passwd")]
    public void Refuses_any_other_host(string url) =>
        Assert.False(ResponseUrls.IsAllowed(new Uri(url), new Uri("https://slack.com/api/")));

    [Fact]
    public void Allows_the_configured_api_hosts_origin_and_no_other_port_on_it()
    {
        var api = new Uri("http://127.0.0.1:5123/api/");

        Assert.True(ResponseUrls.IsAllowed(new Uri("http://127.0.0.1:5123/commands/T1/1/abc"), api));
        Assert.False(ResponseUrls.IsAllowed(new Uri("http://127.0.0.1:5124/commands/T1/1/abc"), api));
        Assert.False(ResponseUrls.IsAllowed(new Uri("https://127.0.0.1:5123/commands/T1/1/abc"), api));
    }

    [Fact]
    public async Task Refuses_to_call_a_response_url_off_slacks_hosts_without_sending_anything()
    {
        using var elsewhere = new LoopbackSlack();

        var error = await Assert.ThrowsAsync<SlackApiException>(
            () => _slack.Client().RespondAsync(new Uri(elsewhere.BaseUrl, "commands/T1/1/abc"), Reply(), CancellationToken.None));

        Assert.Equal(("response_url", "untrusted_response_url"), (error.Method, error.Error));
        Assert.Empty(elsewhere.Requests);
        Assert.DoesNotContain(elsewhere.BaseUrl.Authority, error.ToString(), StringComparison.Ordinal);
    }
}
