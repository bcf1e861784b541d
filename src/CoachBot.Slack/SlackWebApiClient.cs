using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CoachBot.Slack;

/// <summary>
/// Calls Slack's Web API with the bot token. A 429 is waited out (Slack did nothing, so sending
/// again is safe); a timeout or 5xx is not retried, because the post may have landed and a second
/// one would be a double post.
/// </summary>
public sealed class SlackWebApiClient(HttpClient http, SlackOptions options, TimeProvider time)
{
    private const int MaxRateLimitWaits = 3;

    /// <summary><c>chat.postMessage</c>; returns the posted message's <c>ts</c>.</summary>
    public async Task<string> PostMessageAsync(JsonObject message, CancellationToken cancellationToken)
    {
        var response = await CallAsync("chat.postMessage", message, cancellationToken).ConfigureAwait(false);
        return response["ts"]?.GetValue<string>() ?? "";
    }

    private async Task<JsonObject> CallAsync(string method, JsonObject body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.ApiBaseUrl, method))
            {
                Content = JsonContent.Create(body),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.BotToken);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxRateLimitWaits)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SlackApiException(method, "http_" + (int)response.StatusCode);
            }

            var json = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
            if (json?["ok"]?.GetValue<bool>() != true)
            {
                throw new SlackApiException(method, json?["error"]?.GetValue<string>() ?? "no_ok_field");
            }

            return json;
        }
    }
}
