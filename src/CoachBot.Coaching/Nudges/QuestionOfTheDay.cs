namespace CoachBot.Coaching.Nudges;

/// <summary>
/// Prompts for channels that asked for <c>nudge on … with question</c>: a situation to write a question for.
/// Replies in the nudge's thread are coached, so the team practises on the same prompt together.
/// </summary>
public static class QuestionOfTheDay
{
    public static readonly IReadOnlyList<string> Prompts =
    [
        "Your prospect says the budget is already spent this year. What do you ask next?",
        "A customer has used the same supplier for ten years. What question makes them rethink the status quo?",
        "You need to find out who else is involved in the decision. How do you ask without sounding like you're going around your contact?",
        "The customer says \"we're fine as we are.\" What do you ask to find out what 'fine' is costing them?",
        "You're calling a customer whose renewal is in three months. What's the goal of the call, and what's your first question?",
        "Your champion has gone quiet for two weeks. What do you write to restart the conversation without sounding needy?",
        "A prospect asks for your best price on the first call. What question do you ask instead of answering?",
        "You want to understand how the customer's team measures success this year. How do you ask?",
        "The customer mentions a competitor's demo. What do you ask to learn what impressed them?",
        "You're about to send a follow-up after a good meeting. What one question moves the deal to a next step?",
    ];

    /// <summary>The same prompt for every channel on a given local date, so teams can compare notes.</summary>
    public static string For(DateOnly date) => Prompts[date.DayNumber % Prompts.Count];
}
