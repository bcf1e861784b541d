using System.Buffers;
using System.CommandLine;
using System.Text.Json;
using CoachBot.Coaching;
using CoachBot.Coaching.Messages;

namespace CoachBot.Cli;

/// <summary><c>coachbot check</c>: coach one text, or every line of standard input.</summary>
internal static class CheckCommand
{
    public static Command Create(CommandLineOptions options)
    {
        var text = new Argument<string?>("TEXT")
        {
            Description = "The question, call note or message to coach. Read from standard input when absent.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var format = new Option<string>("--format")
        {
            Description = "Output format: text (default), json (one object), jsonl (one object per line, with --lines).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "jsonl");
        var lines = new Option<bool>("--lines") { Description = "Treat every line of standard input as its own item." };
        var kind = new Option<string?>("--kind") { Description = "Skip detection: question, call_note or message." };
        kind.AcceptOnlyFromAmong("question", "call_note", "message");
        var rulesOnly = new Option<bool>("--rules-only") { Description = "Coach with the rules alone, without the learned second opinion." };

        var command = new Command("check", "Coach a draft question, pre-call note or message. Exit code 0: ok; 1: revise; 2: usage error.")
        {
            text, format, lines, kind, rulesOnly, options.Overrides, options.DefaultPacks,
        };
        command.SetAction(parse =>
        {
            InputKind? forced = WireNames.TryParseKind(parse.GetValue(kind), out var k) ? k : null;
            var coach = options.LoadCoach(parse, parse.GetValue(rulesOnly));
            if (coach is null)
            {
                return ExitCodes.BadPacks;
            }

            var formatValue = parse.GetValue(format)!;
            if (parse.GetValue(lines))
            {
                if (parse.GetValue(text) is not null)
                {
                    return Usage("--lines reads standard input; don't give TEXT as well.");
                }

                if (formatValue != "jsonl")
                {
                    return Usage("--lines needs --format jsonl.");
                }

                using var stdin = new StreamReader(Console.OpenStandardInput(), bufferSize: 1 << 16);
                return Lines(coach, forced, stdin);
            }

            if (formatValue == "jsonl")
            {
                return Usage("--format jsonl goes with --lines; use --format json for a single text.");
            }

            var input = parse.GetValue(text);
            if (input is null)
            {
                if (!Console.IsInputRedirected)
                {
                    return Usage("Give the text to coach, e.g. coachbot check \"What's your budget?\", or pipe it on standard input.");
                }

                input = Console.In.ReadToEnd();
            }

            return One(coach, forced, input, formatValue);
        });
        return command;
    }

    private static int One(Coach coach, InputKind? kind, string input, string format)
    {
        CoachingReply reply;
        try
        {
            reply = coach.Review(input.Trim(), kind);
        }
        catch (CoachingInputException ex)
        {
            return Usage(ex.Message);
        }

        if (format == "json")
        {
            using var stdout = Console.OpenStandardOutput();
            using (var json = new Utf8JsonWriter(stdout, JsonLineOptions with { Indented = true }))
            {
                ReplyWriter.Json(json, reply);
            }

            stdout.Write("\n"u8);
        }
        else
        {
            Console.Out.Write(ReplyWriter.Text(reply));
        }

        return reply.Verdict == Verdict.Ok ? ExitCodes.Ok : ExitCodes.Revise;
    }

    /// <summary>
    /// One JSON line out per line in, in order. Streams both ways so a large file never sits in
    /// memory; exit code 1 when any item needs revising, 2 when any line could not be coached.
    /// </summary>
    public static int Lines(Coach coach, InputKind? kind, TextReader input)
    {
        // The writer fills an in-memory buffer that goes to stdout in large blocks: a Utf8JsonWriter
        // over a Stream flushes the stream on every Flush, which would cost a system call per line.
        using var stdout = Console.OpenStandardOutput();
        var buffer = new ArrayBufferWriter<byte>(1 << 17);
        using var json = new Utf8JsonWriter(buffer, JsonLineOptions);
        var anyRevise = false;
        var anyBad = false;

        // Someone typing at a terminal, or watching one, sees each answer at once; pipes and files get
        // block buffering, like grep, which is what makes a million lines fast.
        var eachLine = !Console.IsInputRedirected || !Console.IsOutputRedirected;
        while (input.ReadLine() is { } line)
        {
            if (InputCheck.Problem(line) is { } problem)
            {
                anyBad = true;
                ReplyWriter.ErrorLine(json, line, problem);
            }
            else
            {
                try
                {
                    var reply = coach.Review(line, kind);
                    anyRevise |= reply.Verdict == Verdict.Revise;
                    ReplyWriter.JsonLine(json, line, reply);
                }
                catch (CoachingInputException ex)
                {
                    anyBad = true;
                    json.Reset();
                    ReplyWriter.ErrorLine(json, line, ex.Message);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // One line that trips a bug must not cost the lines around it their answers.
                    anyBad = true;
                    json.Reset();
                    ReplyWriter.ErrorLine(json, line, $"internal error ({ex.GetType().Name}); please report this line");
                }
            }

            json.Flush();
            json.Reset();
            buffer.Write("\n"u8);
            if (eachLine || buffer.WrittenCount > 1 << 16)
            {
                stdout.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }

        stdout.Write(buffer.WrittenSpan);
        return anyBad ? ExitCodes.Usage : anyRevise ? ExitCodes.Revise : ExitCodes.Ok;
    }

    // Relaxed escaping keeps apostrophes and accents readable in the output; it is still valid JSON,
    // and the output is a file or a pipe, never embedded in HTML.
    private static readonly JsonWriterOptions JsonLineOptions = new()
    {
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static int Usage(string message)
    {
        Console.Error.WriteLine(message);
        return ExitCodes.Usage;
    }
}
