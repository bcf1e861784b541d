namespace CoachBot.Coaching.Eval;

/// <summary>One row of a labelled evaluation set: <c>self_serving</c> or <c>good</c> for questions, <c>has_goal</c> or <c>no_goal</c> for call notes.</summary>
public sealed record LabelledItem(string Id, string Text, string Label);
