using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Replies;

/// <summary>
/// Chooses what to say: one main point (a second only when it is a different kind of problem of
/// the same weight), praise when it was earned, and the trust factors touched. Coaching works one
/// behaviour at a time, so the rest stays in <see cref="CoachingReply.Findings"/> for "more".
/// </summary>
public static class ReplyComposer
{
    public static CoachingReply Compose(Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        // Insertion sort: stable, so equal findings keep the order the rules ran in, and a reply has only a handful.
        var ranked = new List<Finding>(evaluation.Findings);
        for (var i = 1; i < ranked.Count; i++)
        {
            var finding = ranked[i];
            var j = i - 1;
            while (j >= 0 && Outranks(finding, ranked[j]))
            {
                ranked[j + 1] = ranked[j];
                j--;
            }

            ranked[j + 1] = finding;
        }

        var problems = ranked.Where(f => f.Level != Level.Praise).ToList();
        var points = new List<Finding>(2);
        if (problems.Count > 0)
        {
            points.Add(problems[0]);
            var second = problems.Skip(1).FirstOrDefault(f =>
                f.Level >= Level.Nudge && f.Level == problems[0].Level && f.Category != problems[0].Category);
            if (second is not null)
            {
                points.Add(second);
            }
        }

        var praise = ranked.FirstOrDefault(f => f.Level == Level.Praise);
        var verdict = ranked.Any(f => f.Level >= Level.Nudge) ? Verdict.Revise : Verdict.Ok;
        var factors = ranked.Select(f => f.TrustFactor).Distinct().Order().ToList();
        return new CoachingReply(
            evaluation.Text,
            evaluation.Kind,
            verdict,
            ranked,
            points,
            praise,
            factors,
            Headline(evaluation.Kind, verdict, points.Count, praise is not null),
            Closing(evaluation.Kind, verdict, praise is not null),
            evaluation.Names ?? DraftNames.None);
    }

    private static bool Outranks(Finding a, Finding b) =>
        a.Level > b.Level || (a.Level == b.Level && a.Confidence > b.Confidence);

    internal static string Headline(InputKind kind, Verdict verdict, int points, bool praise)
    {
        if (verdict == Verdict.Revise)
        {
            return kind switch
            {
                InputKind.CallNote => "Worth another look before you dial.",
                InputKind.Message => "Worth another look before you send.",
                _ => "Worth another look before you ask.",
            };
        }

        if (praise && points == 0)
        {
            return kind switch
            {
                InputKind.CallNote => "That's a call plan with a real goal.",
                InputKind.Message => "That message puts the customer first.",
                _ => "That's a question worth asking.",
            };
        }

        return points > 0 ? "Looks good, with one thought." : "Looks good to me.";
    }

    internal static string Closing(InputKind kind, Verdict verdict, bool praise)
    {
        if (verdict == Verdict.Revise || praise)
        {
            return "Send me your next draft and I'll take another look.";
        }

        return kind switch
        {
            InputKind.CallNote => "Before the call: what exactly will the customer have agreed to do when you hang up?",
            InputKind.Message => "Before you send: what will the reader get from replying?",
            _ => "Before you ask: what will the customer get from answering?",
        };
    }
}
