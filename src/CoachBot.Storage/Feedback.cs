using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage;

/// <summary>
/// Helpful / not-helpful votes on coaching advice and nudge tips, per rule, to learn which rules work. One instance per
/// <see cref="CoachBotDbContext"/> (scoped).
/// </summary>
public sealed class Feedback(CoachBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// Records the vote, or moves this person's earlier vote on the same message and rule: pressing ten times counts
    /// once. A single INSERT … ON CONFLICT DO UPDATE, so concurrent presses (two replicas) cannot both insert.
    /// </summary>
    /// <param name="messageKey">The message's id (Slack <c>channel:ts</c>, a Teams activity id); never its text.</param>
    /// <param name="reason">For a "not helpful" vote, the optional follow-up code (<c>wrong_call</c>, <c>rewrite</c>, <c>tone</c>).</param>
    public async Task RecordAsync(
        string channel, string messageKey, string voterId, string ruleId, bool helpful, string? reason = null, CancellationToken cancellationToken = default)
    {
        ShortCodes.CheckChannel(channel, nameof(channel));
        ShortCodes.CheckId(messageKey, nameof(messageKey));
        ShortCodes.CheckId(voterId, nameof(voterId));
        ShortCodes.CheckId(ruleId, nameof(ruleId));
        if (reason is not null && (helpful || reason is not ("wrong_call" or "rewrite" or "tone")))
        {
            throw new ArgumentException("A reason goes with a not-helpful vote and is one of wrong_call, rewrite, tone.", nameof(reason));
        }

        var now = time.GetUtcNow();
        // Both SQLite (3.24+) and PostgreSQL read this statement the same way.
        await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO feedback_votes ("Channel", "MessageKey", "VoterId", "RuleId", "Helpful", "Reason", "VotedAt")
                VALUES ({channel}, {messageKey}, {voterId}, {ruleId}, {helpful}, {reason}, {now})
                ON CONFLICT ("Channel", "MessageKey", "VoterId", "RuleId")
                DO UPDATE SET "Helpful" = excluded."Helpful", "Reason" = excluded."Reason", "VotedAt" = excluded."VotedAt"
                """,
                cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Votes per rule, summed over channels unless <paramref name="channel"/> narrows them; ordered by rule id.</summary>
    public async Task<IReadOnlyList<RuleFeedbackCount>> CountsAsync(string? channel = null, CancellationToken cancellationToken = default)
    {
        var votes = db.FeedbackVotes.AsQueryable();
        if (channel is not null)
        {
            votes = votes.Where(v => v.Channel == channel);
        }

        var counts = await votes
            .GroupBy(v => v.RuleId)
            .Select(g => new
            {
                RuleId = g.Key,
                Helpful = g.Count(v => v.Helpful),
                NotHelpful = g.Count(v => !v.Helpful),
                WrongCall = g.Count(v => !v.Helpful && v.Reason == "wrong_call"),
                Rewrite = g.Count(v => !v.Helpful && v.Reason == "rewrite"),
                Tone = g.Count(v => !v.Helpful && v.Reason == "tone"),
            })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. counts.OrderBy(c => c.RuleId, StringComparer.Ordinal).Select(c => new RuleFeedbackCount(c.RuleId, c.Helpful, c.NotHelpful, c.WrongCall, c.Rewrite, c.Tone))];
    }
}
