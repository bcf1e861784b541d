namespace CoachBot.Cli;

/// <summary>Exit codes of the command line; documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>The verdict is ok, or the command succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The verdict is revise, or a rule example failed.</summary>
    public const int Revise = 1;

    /// <summary>The command line or the input text was unusable.</summary>
    public const int Usage = 2;

    /// <summary>The rule packs or overrides could not be loaded.</summary>
    public const int BadPacks = 3;

    /// <summary>A bug: something failed that CoachBot has no sentence for.</summary>
    public const int Internal = 4;
}
