using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules.Matchers;

/// <summary><c>question_type:</c>: the classifier gives the question any of the listed types.</summary>
internal sealed class QuestionTypeMatcher(QuestionType types) : Matcher
{
    public override int Cost => 2;

    public override bool IsMatch(Unit unit) => unit.IsQuestion && (unit.Types & types) != 0;
}
