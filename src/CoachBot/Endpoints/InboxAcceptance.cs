using CoachBot.Processing;
using CoachBot.Storage;

namespace CoachBot.Endpoints;

/// <summary>The last step of every channel endpoint: persist the delivery, then let a worker know.</summary>
internal sealed class InboxAcceptance(InboxWriter writer, InboxSignal signal, RecentDeliveries recent)
{
    /// <summary>
    /// Returns once the delivery is durable (or known to be there already), so the caller may answer the channel.
    /// A retry (same <paramref name="deliveryKey"/>) or the same message under a new delivery id (same
    /// <paramref name="dedupeKey"/>) is acknowledged without a second row, from memory when this process wrote it.
    /// </summary>
    public async Task AcceptAsync(string channel, string deliveryKey, string? dedupeKey, byte[] body)
    {
        if (recent.Contains(channel, deliveryKey) || recent.Contains(channel, dedupeKey))
        {
            return;
        }

        var result = await writer.AcceptAsync(new InboxItem
        {
            Channel = channel,
            DeliveryKey = deliveryKey,
            DedupeKey = dedupeKey,
            Payload = System.Text.Encoding.UTF8.GetString(body),
        }).ConfigureAwait(false);
        recent.Remember(channel, deliveryKey);
        recent.Remember(channel, dedupeKey);
        if (result == AcceptResult.Accepted)
        {
            signal.Notify();
        }
    }
}
