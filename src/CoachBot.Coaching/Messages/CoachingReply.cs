namespace CoachBot.Coaching.Messages;

/// <summary>
/// The channel-neutral coaching answer to one text. Channels render <see cref="Points"/> and
/// <see cref="Praise"/>; <see cref="Findings"/> holds everything that fired, ranked, for buttons
/// such as "Another suggestion" and for the command line's JSON output.
/// </summary>
/// <param name="Names">The names the draft mentions; the findings' suggestions are already filled with them.</param>
public sealed record CoachingReply(
    string Text,
    InputKind Kind,
    Verdict Verdict,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<Finding> Points,
    Finding? Praise,
    IReadOnlyList<TrustFactor> TrustFactors,
    string Headline,
    string Closing,
    Replies.DraftNames? Names = null);
