namespace CoachBot.Storage;

/// <summary>
/// One person's "helpful / not helpful" on one piece of advice (a rule in a coaching reply, or a nudge tip).
/// Only ids are kept, never the message or the advice text: the votes say which rules work, not what reps wrote.
/// </summary>
public sealed class FeedbackVote
{
    public long Id { get; internal set; }

    /// <summary><see cref="InboxItem.Slack"/> or <see cref="InboxItem.Teams"/>.</summary>
    public required string Channel { get; init; }

    /// <summary>The message the buttons were on (Slack <c>channel:ts</c>, a Teams activity id).</summary>
    public required string MessageKey { get; init; }

    /// <summary>The user who pressed; with the message and rule it is the unique key, so repeated presses count once.</summary>
    public required string VoterId { get; init; }

    /// <summary>A coaching rule id or a nudge tip id.</summary>
    public required string RuleId { get; init; }

    public bool Helpful { get; init; }

    /// <summary>
    /// The optional follow-up to "not helpful", as a code (<c>wrong_call</c>, <c>rewrite</c>, <c>tone</c>); null when
    /// none was given or the vote is helpful. A code from a fixed list, never words the rep typed.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>The latest press; a changed mind moves the vote and the time.</summary>
    public DateTimeOffset VotedAt { get; init; }
}

/// <summary>Votes for one rule (or tip), counting each person once per message, with the "not helpful" reasons given.</summary>
public sealed record RuleFeedbackCount(string RuleId, int Helpful, int NotHelpful, int WrongCall = 0, int RewriteNotUseful = 0, int Tone = 0);
