namespace CoachBot.Coaching.Questions;

/// <summary>What the question classifier sees in a question; a question can be several at once.</summary>
[Flags]
public enum QuestionType
{
    None = 0,
    Open = 1,
    Closed = 2,
    Leading = 4,
    SelfServing = 8,
    Implication = 16,
    NeedPayoff = 32,
    Insight = 64,
    StatusQuo = 128,
}
