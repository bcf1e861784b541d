namespace CoachBot.Hosting;

internal static class HttpResilience
{
    /// <summary>
    /// The standard resilience handler (timeouts, circuit breaker) with its retry turned off: a post retried after a
    /// timeout can land twice. The channel clients retry themselves, only where the channel surely did nothing (429).
    /// </summary>
    public static IHttpClientBuilder AddPostSafeResilience(this IHttpClientBuilder builder)
    {
        builder.AddStandardResilienceHandler(o => o.Retry.ShouldHandle = _ => ValueTask.FromResult(false));
        return builder;
    }
}
