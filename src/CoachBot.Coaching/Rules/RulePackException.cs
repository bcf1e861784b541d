namespace CoachBot.Coaching.Rules;

/// <summary>One problem in a rule pack: the file, the field, and why it is wrong.</summary>
public sealed record RulePackError(string File, string Field, string Reason)
{
    public override string ToString() => $"{File}: {Field}: {Reason}";
}

/// <summary>
/// Rule packs or overrides that cannot be used. The host refuses to start with them; the message
/// lists every problem found, each naming the file, the field and why.
/// </summary>
public sealed class RulePackException : Exception
{
    public RulePackException(IReadOnlyList<RulePackError> errors)
        : base(Describe(errors)) => Errors = errors;

    public RulePackException()
        : this([])
    {
    }

    public RulePackException(string message)
        : base(message) => Errors = [];

    public RulePackException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    public IReadOnlyList<RulePackError> Errors { get; }

    private static string Describe(IReadOnlyList<RulePackError> errors)
    {
        var shown = errors.Take(20).Select(e => "  " + e);
        var more = errors.Count > 20 ? $"\n  ... and {errors.Count - 20} more" : "";
        return $"The rule packs could not be loaded ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):\n"
            + string.Join('\n', shown) + more;
    }
}
