using System.Text.RegularExpressions;

namespace CoachBot.Coaching.Replies;

/// <summary>
/// Fills a rule's suggestion templates with the names a draft gives. A suggestion is a generic example plus
/// templates such as <c>"What would {company} need to see …"</c>; the first template whose placeholders the draft
/// fills wins, and the example stands when none does, so a rewrite never shows a stranger's name by accident
/// nor an empty gap.
/// </summary>
public static partial class Rewrites
{
    /// <summary>The rewrite to show for one suggestion.</summary>
    public static string Fill(string example, IReadOnlyList<string> templates, DraftNames names)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(names);
        if (names.IsEmpty)
        {
            return example;
        }

        foreach (var template in templates)
        {
            if (Placeholders(template).All(slot => names[slot] is not null))
            {
                return Placeholder().Replace(template, m => names[m.Groups[1].Value]!);
            }
        }

        return example;
    }

    /// <summary>Every suggestion of a rule, filled; <paramref name="templates"/> lines up with <paramref name="examples"/> (missing entries mean none).</summary>
    public static IReadOnlyList<string> FillAll(IReadOnlyList<string> examples, IReadOnlyList<IReadOnlyList<string>> templates, DraftNames names)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(templates);
        var filled = new string[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            filled[i] = Fill(examples[i], i < templates.Count ? templates[i] : [], names);
        }

        return filled;
    }

    /// <summary>The placeholder names in a template, in order: <c>{company}</c> gives "company".</summary>
    public static IReadOnlyList<string> Placeholders(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return [.. Placeholder().Matches(template).Select(m => m.Groups[1].Value)];
    }

    /// <summary>What is wrong with a template, for the rule loader's error; null when it is usable.</summary>
    public static string? Problem(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var slots = Placeholders(template);
        if (slots.Count == 0)
        {
            return "has no placeholder; use " + string.Join(", ", DraftNames.Slots.Select(s => "{" + s + "}"));
        }

        var unknown = slots.FirstOrDefault(s => !DraftNames.Slots.Contains(s, StringComparer.Ordinal));
        if (unknown is not null)
        {
            return $"uses {{{unknown}}}; the placeholders are " + string.Join(", ", DraftNames.Slots.Select(s => "{" + s + "}"));
        }

        var rest = Placeholder().Replace(template, "");
        return rest.Contains('{', StringComparison.Ordinal) || rest.Contains('}', StringComparison.Ordinal)
            ? "has a brace that is not part of a placeholder"
            : null;
    }

    [GeneratedRegex(@"\{([a-z_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
