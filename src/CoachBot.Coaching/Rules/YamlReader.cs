using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CoachBot.Coaching.Rules;

/// <summary>
/// Reads YAML nodes into plain values and records every problem with the file and field it came
/// from, so a pack author sees all mistakes at once rather than the first exception.
/// </summary>
internal sealed class YamlReader(string file, List<RulePackError> errors)
{
    public string File { get; } = file;

    public YamlMappingNode? Document(string content)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(content));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                Error("(file)", "expected a YAML mapping of field: value");
                return null;
            }

            return root;
        }
        catch (YamlException ex)
        {
            Error($"(line {ex.Start.Line})", "not valid YAML: " + ex.Message);
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, not a YamlException, on some unterminated flow lists.
            Error("(file)", "not valid YAML: a [ or { is never closed");
            return null;
        }
    }

    public void Error(string field, string reason) => errors.Add(new RulePackError(File, field, reason));

    public void Error(YamlNode node, string field, string reason) =>
        errors.Add(new RulePackError(File, $"{field} (line {node.Start.Line})", reason));

    public void OnlyKeys(YamlMappingNode map, string where, params string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                Error(key, Join(where, name), $"unknown field; expected one of: {string.Join(", ", allowed)}");
            }
        }
    }

    public static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public string? Text(YamlMappingNode map, string key, string where, bool required)
    {
        var node = Child(map, key);
        if (node is null)
        {
            if (required)
            {
                Error(Join(where, key), "is required");
            }

            return null;
        }

        if (node is not YamlScalarNode scalar || string.IsNullOrWhiteSpace(scalar.Value))
        {
            Error(node, Join(where, key), "expected non-empty text");
            return null;
        }

        return scalar.Value.Trim();
    }

    /// <summary>A list of texts; a single text is read as a list of one.</summary>
    public List<string>? Texts(YamlMappingNode map, string key, string where, bool required) =>
        Child(map, key) is { } node ? Texts(node, Join(where, key)) : Missing(required, Join(where, key));

    public List<string>? Texts(YamlNode node, string field)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { Length: > 0 } value }:
                return [value.Trim()];
            case YamlSequenceNode sequence:
                var list = new List<string>();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (sequence.Children[i] is YamlScalarNode { Value: { } item } && !string.IsNullOrWhiteSpace(item))
                    {
                        list.Add(item.Trim());
                    }
                    else
                    {
                        Error(sequence.Children[i], $"{field}[{i}]", "expected non-empty text");
                    }
                }

                return list;
            default:
                Error(node, field, "expected text or a list of texts");
                return null;
        }
    }

    /// <summary>
    /// A rule's <c>suggestions</c>: each item is a generic example, or a map with the <c>example</c> and one or more
    /// <c>template</c>s that name the draft's company, person, topic or product (see <see cref="Replies.Rewrites"/>).
    /// </summary>
    public Suggestions? Suggestions(YamlMappingNode map, string key, string where, bool required)
    {
        var field = Join(where, key);
        switch (Child(map, key))
        {
            case null:
                Missing(required, field);
                return null;
            case YamlScalarNode:
            {
                var one = Texts(map, key, where, required);
                return one is null ? null : new Suggestions(one, [[]]);
            }

            case YamlSequenceNode sequence:
            {
                var examples = new List<string>();
                var templates = new List<IReadOnlyList<string>>();
                var ok = true;
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var item = sequence.Children[i];
                    var itemField = $"{field}[{i}]";
                    if (item is YamlScalarNode { Value: { } text } && !string.IsNullOrWhiteSpace(text))
                    {
                        examples.Add(text.Trim());
                        templates.Add([]);
                    }
                    else if (item is YamlMappingNode entry)
                    {
                        OnlyKeys(entry, itemField, "example", "template");
                        var example = Text(entry, "example", itemField, required: true);
                        var list = Texts(entry, "template", itemField, required: true);
                        foreach (var template in list ?? [])
                        {
                            if (Replies.Rewrites.Problem(template) is { } problem)
                            {
                                Error(entry, itemField + ".template", $"\"{template}\" {problem}");
                                ok = false;
                            }
                        }

                        if (example is null || list is null)
                        {
                            ok = false;
                            continue;
                        }

                        examples.Add(example);
                        templates.Add(list);
                    }
                    else
                    {
                        Error(item, itemField, "expected a rewrite, or a map with example and template");
                        ok = false;
                    }
                }

                return ok ? new Suggestions(examples, templates) : null;
            }

            case var other:
                Error(other, field, "expected a list of rewrites");
                return null;
        }
    }

    public int? Number(YamlMappingNode map, string key, string where)
    {
        if (Child(map, key) is not { } node)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } value } && int.TryParse(value, out var number) && number >= 0)
        {
            return number;
        }

        Error(node, Join(where, key), "expected a whole number of 0 or more");
        return null;
    }

    public static string Join(string where, string key) => where.Length == 0 ? key : where + "." + key;

    private List<string>? Missing(bool required, string field)
    {
        if (required)
        {
            Error(field, "is required");
        }

        return null;
    }
}

/// <summary>A rule's rewrites: the generic examples, and for each the templates that keep the draft's names.</summary>
internal sealed record Suggestions(List<string> Examples, List<IReadOnlyList<string>> Templates);
