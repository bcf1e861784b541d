using System.Net.Http.Headers;

namespace CoachBot.Teams;

/// <summary>
/// How the host sets up the HttpClient behind <see cref="BotConnectorClient"/>:
/// <code>
/// services.AddSingleton(TimeProvider.System);
/// services.AddSingleton&lt;TrustedServiceUrls&gt;();
/// services.AddSingleton&lt;IBotTokenSource&gt;(options.AuthEnabled ? MsalBotTokenSource.Create(options) : NoBotTokenSource.Instance);
/// services.AddHttpClient&lt;BotConnectorClient&gt;(TeamsHttp.ConfigureClient);   // and no retrying resilience handler
/// </code>
/// </summary>
/// <remarks>
/// <para>Do not give this client a retry strategy (<c>AddStandardResilienceHandler</c> has one): it
/// would repeat POSTs after timeouts, posting a message twice, and would stack its retries on the
/// ones <see cref="BotConnectorClient"/> already does for 412/429/5xx. If the host wants the standard
/// handler for its timeouts and circuit breaker, switch its retry off:
/// <c>AddStandardResilienceHandler(o =&gt; o.Retry.ShouldHandle = _ =&gt; ValueTask.FromResult(false))</c>.</para>
/// <para>Any handler sees each attempt on its own, because the retries happen above the HttpClient;
/// so its timeouts are per attempt, like <see cref="HttpClient.Timeout"/> (<see cref="AttemptTimeout"/>).
/// The whole call, waits included, is bounded by the retry limits and by the caller's cancellation token.</para>
/// </remarks>
public static class TeamsHttp
{
    /// <summary>How long one attempt may take; the channel itself gives up on a bot after about 15 s.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    public static void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Timeout = AttemptTimeout;
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }
}
