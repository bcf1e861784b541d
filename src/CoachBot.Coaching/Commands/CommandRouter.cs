using System.Globalization;
using CoachBot.Coaching.Nudges;

namespace CoachBot.Coaching.Commands;

/// <summary>
/// Reads a rep's message as a <see cref="BotCommand"/>. One router for every channel, so
/// <c>/coach nudge on 8:30</c> in Slack and <c>@CoachBot nudge on 8:30</c> in Teams mean the same.
/// </summary>
/// <remarks>
/// Only a message whose first word is a command word is a command; everything else is coached,
/// because a rep's draft question must never be swallowed as a typo'd command.
/// </remarks>
public static class CommandRouter
{
    /// <summary>The example every nudge error ends with.</summary>
    public const string NudgeExample = "nudge on 08:30 Europe/Berlin";

    private static readonly string[] TimeFormats = ["H:mm", "HH:mm", "H.mm", "h:mmtt", "h:mm tt", "htt", "h tt", "%H"];

    /// <param name="text">The message with the channel's markup and the bot's mention already removed.</param>
    public static BotCommand Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return new BotCommand.Help();
        }

        var first = words[0].ToLowerInvariant();
        return first switch
        {
            "help" or "?" or "hi" or "hello" when words.Length == 1 => new BotCommand.Help(),
            "check" when words.Length > 1 => new BotCommand.Check(text.Trim()[words[0].Length..].Trim()),
            "check" => new BotCommand.Help(),
            "nudge" or "nudges" => ParseNudge(words.AsSpan(1)),
            _ => new BotCommand.Check(text.Trim()),
        };
    }

    private static BotCommand ParseNudge(ReadOnlySpan<string> words)
    {
        if (words.Length == 0)
        {
            return new BotCommand.NudgeStatus();
        }

        var verb = words[0].ToLowerInvariant();
        var rest = words[1..];
        return verb switch
        {
            "on" or "start" or "subscribe" => ParseNudgeOn(rest),
            "off" or "stop" or "unsubscribe" when rest.Length == 0 => new BotCommand.NudgeOff(),
            "status" when rest.Length == 0 => new BotCommand.NudgeStatus(),
            "now" when rest.Length == 0 => new BotCommand.NudgeNow(),
            "skip" when rest.Length == 0 => new BotCommand.NudgeSkip(),
            "off" or "stop" or "unsubscribe" or "status" or "now" or "skip" =>
                new BotCommand.Invalid($"`nudge {verb}` takes nothing after it. Try `nudge {verb}`."),
            _ => new BotCommand.Invalid(
                $"I don't know `nudge {words[0]}`. Try `{NudgeExample}`, `nudge off`, `nudge status`, `nudge now` or `nudge skip`."),
        };
    }

    private static BotCommand ParseNudgeOn(ReadOnlySpan<string> words)
    {
        TimeOnly? time = null;
        TimeZoneInfo? zone = null;
        NudgeDays? days = null;
        var withQuestion = false;
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            var lower = word.ToLowerInvariant();
            if (lower is "with" && i + 1 < words.Length && words[i + 1].Equals("question", StringComparison.OrdinalIgnoreCase))
            {
                withQuestion = true;
                i++;
            }
            else if (lower is "weekdays" or "weekday")
            {
                days = NudgeDays.Weekdays;
            }
            else if (lower is "daily" or "everyday" or "every-day")
            {
                days = NudgeDays.Daily;
            }
            else if (time is null && LooksLikeTime(word))
            {
                // "9 am" arrives as two words.
                var candidate = i + 1 < words.Length && words[i + 1].ToLowerInvariant() is "am" or "pm" ? word + words[++i] : word;
                if (ReadTime(candidate) is not { } parsed)
                {
                    return new BotCommand.Invalid($"I couldn't read '{candidate}' as a time; try `{NudgeExample}`.");
                }

                time = parsed;
            }
            else if (zone is null && FindTimeZone(word) is { } found)
            {
                zone = found;
            }
            else if (zone is null && i + 1 < words.Length && FindTimeZone(word + " " + string.Join(' ', words[(i + 1)..].ToArray())) is { } spaced)
            {
                // Windows names have spaces ("W. Europe Standard Time"); they run to the end of the command.
                zone = spaced;
                break;
            }
            else
            {
                return new BotCommand.Invalid(
                    $"I couldn't read '{word}' as a time, a time zone, `weekdays` or `daily`; try `{NudgeExample}`.");
            }
        }

        return new BotCommand.NudgeOn(time, zone, days, withQuestion);
    }

    private static bool LooksLikeTime(string word) => word.Length > 0 && char.IsAsciiDigit(word[0]);

    /// <summary>"9", "09:00", "8:30", "17.45", "9am", "5:30pm"; null when it is not a time of day.</summary>
    public static TimeOnly? ReadTime(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return TimeOnly.TryParseExact(word.ToUpperInvariant(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : null;
    }

    /// <summary>An IANA id ("Europe/Berlin") or a Windows name ("W. Europe Standard Time"), as an IANA zone; null when unknown.</summary>
    public static TimeZoneInfo? FindTimeZone(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || !(name.Contains('/', StringComparison.Ordinal) || name.Contains(' ', StringComparison.Ordinal)
            || name.Equals("UTC", StringComparison.OrdinalIgnoreCase) || name.Equals("GMT", StringComparison.OrdinalIgnoreCase)))
        {
            // Bare words like "on" or "tomorrow" must not match a zone abbreviation by accident.
            return null;
        }

        if (name.Equals("UTC", StringComparison.OrdinalIgnoreCase) || name.Equals("GMT", StringComparison.OrdinalIgnoreCase))
        {
            return TimeZoneInfo.Utc;
        }

        // Store the IANA id whatever was typed, so every replica and every platform reads the same zone.
        // The host runs with invariant globalization (no ICU), so Windows names come from our own table.
        if (WindowsZones.ToIana(name) is { } iana)
        {
            name = iana;
        }

        return name.Contains('/', StringComparison.Ordinal) && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : null;
    }
}
