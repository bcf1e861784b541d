using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace CoachBot.Slack.Tests;

/// <summary>The client as the host registers it: through the standard resilience handler, over real HTTP.</summary>
public sealed class SlackHttpTests : IDisposable
{
    private readonly LoopbackSlack _slack = new();
    private readonly ServiceProvider _services;

    public SlackHttpTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new SlackOptions { ApiBaseUrl = _slack.ApiBaseUrl });

        // The real clock: the resilience pipeline takes its timers from the same TimeProvider, and an instant one would time out at once.
        services.AddSingleton(TimeProvider.System);
        services.AddSlackWebApi();
        _services = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        _slack.Dispose();
    }

    private SlackWebApiClient Client => _services.GetRequiredService<SlackWebApiClient>();

    private static JsonObject Message() => new() { ["channel"] = "D1", ["text"] = "hello" };

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task The_resilience_handler_does_not_resend_a_post_after_a_transient_failure(int status)
    {
        // The standard handler would retry these three times; for a post that could mean four copies in the channel.
        _slack.Then(status, "oops");

        var error = await Assert.ThrowsAsync<SlackApiException>(() => Client.PostMessageAsync("xoxb-1", Message(), CancellationToken.None));

        Assert.Equal("http_" + status, error.Error);
        Assert.Single(_slack.Requests);
    }

    [Fact]
    public async Task A_429_is_still_waited_out_once_by_the_client_not_again_by_the_handler()
    {
        _slack.Then(429, """{"ok":false,"error":"ratelimited"}""", ("Retry-After", "1"));

        await Client.PostMessageAsync("xoxb-1", Message(), CancellationToken.None);

        Assert.Equal(2, _slack.Requests.Count);
    }

    [Fact]
    public async Task Does_not_follow_a_redirect_away_from_slack()
    {
        using var elsewhere = new LoopbackSlack();
        _slack.Then(302, "", ("Location", new Uri(elsewhere.BaseUrl, "steal").AbsoluteUri));

        var error = await Assert.ThrowsAsync<SlackApiException>(
            () => Client.RespondAsync(new Uri(_slack.BaseUrl, "commands/T1/1/abc"), Message(), CancellationToken.None));

        Assert.Equal("http_302", error.Error);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public void Configures_short_timeouts_a_breaker_that_ignores_429_and_no_retry_for_posts()
    {
        var options = new HttpStandardResilienceOptions();
        SlackHttp.ConfigureResilience(options);

        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15)), (options.AttemptTimeout.Timeout, options.TotalRequestTimeout.Timeout));
        using var tooMany = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        using var unavailable = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        Assert.False(ShouldBreak(options, tooMany));
        Assert.True(ShouldBreak(options, unavailable));
    }

    private static bool ShouldBreak(HttpStandardResilienceOptions options, HttpResponseMessage response)
    {
        var context = Polly.ResilienceContextPool.Shared.Get();
        try
        {
            return options.CircuitBreaker.ShouldHandle(new Polly.CircuitBreaker.CircuitBreakerPredicateArguments<HttpResponseMessage>(
                context, Polly.Outcome.FromResult(response))).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            Polly.ResilienceContextPool.Shared.Return(context);
        }
    }
}
