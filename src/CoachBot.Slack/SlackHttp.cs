using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;

namespace CoachBot.Slack;

/// <summary>Registers <see cref="SlackWebApiClient"/> as a typed HTTP client with the standard resilience handler.</summary>
public static class SlackHttp
{
    /// <summary>One try at a Slack call. Slack answers in well under a second; ten seconds means it is not coming.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The whole call through the handler; with retries off this only bounds one attempt plus the handler's own work.</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Adds <see cref="SlackWebApiClient"/>. The host registers <see cref="SlackOptions"/> (the API base URL); a
    /// <see cref="TimeProvider"/> is added if none is.
    /// </summary>
    /// <remarks>
    /// The standard handler brings timeouts, a circuit breaker and a concurrency limit. Its retry is turned off for
    /// POST, which is every Slack call: after a timeout or a 5xx a <c>chat.postMessage</c> may have landed, and
    /// resending would post twice. The client itself retries only 429s, where Slack did nothing. Redirects are not
    /// followed: Slack's API never redirects, and following one from a <c>response_url</c> would undo its host check.
    /// </remarks>
    public static IHttpClientBuilder AddSlackWebApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        var builder = services.AddHttpClient<SlackWebApiClient>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });

        // One breaker per host: hooks.slack.com having a bad minute must not stop the Web API, nor the reverse.
        builder.AddStandardResilienceHandler(ConfigureResilience).SelectPipelineByAuthority();
        return builder;
    }

    internal static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        options.Retry.DisableForUnsafeHttpMethods();
        options.AttemptTimeout.Timeout = AttemptTimeout;
        options.TotalRequestTimeout.Timeout = TotalTimeout;

        // A 429 is Slack's limit for one workspace and one method; counting it as a failure would let one busy
        // workspace open the breaker for every other. The client waits 429s out itself.
        options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(
            HttpClientResiliencePredicates.IsTransient(args.Outcome)
            && args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests);
    }
}
