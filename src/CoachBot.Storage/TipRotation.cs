namespace CoachBot.Storage;

/// <summary>
/// The pure part of the nudge tip rotation: a per-subscription shuffle that every replica computes alike, and the step
/// from one rotation state to the next.
/// </summary>
internal static class TipRotation
{
    public const char Separator = ',';

    /// <summary>The next tip and the state after it, given the state before (used tip ids, comma-separated).</summary>
    public static (string Tip, string Used) Next(long subscriptionId, IReadOnlyList<string> allTipIds, string used)
    {
        var order = Order(subscriptionId, allTipIds);
        var usedSet = used.Split(Separator, StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var stillUsed = order.Where(usedSet.Contains).ToList();
        var next = order.FirstOrDefault(t => !usedSet.Contains(t));
        if (next is null)
        {
            // Every tip has gone out: a new round, in the same order. The last tip of a round is never the first of
            // the next (when there are two or more), so no tip comes twice in a row.
            next = order[0];
            stillUsed.Clear();
        }

        // Kept in round order, not send order: the state then depends only on which tips were used.
        stillUsed.Add(next);
        return (next, string.Join(Separator, stillUsed));
    }

    /// <summary>
    /// The subscription's fixed order of the tips: a Fisher–Yates shuffle of the ids (sorted first, so the caller's
    /// order does not matter) driven by SplitMix64 seeded with the subscription id. SplitMix64 rather than
    /// <see cref="Random"/> because its output is defined here, not by a runtime version.
    /// </summary>
    public static IReadOnlyList<string> Order(long subscriptionId, IReadOnlyList<string> allTipIds)
    {
        var tips = allTipIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var state = unchecked((ulong)subscriptionId * 0x9E3779B97F4A7C15UL);
        for (var i = tips.Length - 1; i > 0; i--)
        {
            var j = (int)(SplitMix64(ref state) % (ulong)(i + 1));
            (tips[i], tips[j]) = (tips[j], tips[i]);
        }

        return tips;
    }

    private static ulong SplitMix64(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
