namespace CoachBot.Coaching.Nudges;

/// <summary>One daily coaching tip with something to practise that day.</summary>
public sealed record Nudge(string Id, string Theme, string Title, string Tip, string Practice, string Source);
