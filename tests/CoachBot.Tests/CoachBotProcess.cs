using System.Diagnostics;

namespace CoachBot.Tests;

/// <summary>The real <c>coachbot</c> binary run as a child process: real arguments, standard input, output and exit code.</summary>
internal static class CoachBotProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "coachbot.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(args, null);

    /// <summary>Starts the host on 127.0.0.1:<paramref name="port"/> with its own data folder (never the developer's ~/.local/share/coachbot).</summary>
    /// <param name="output">Receives every line the host writes to standard output and error, when given.</param>
    public static Process StartHost(int port, IDictionary<string, string>? environment = null, bool readStandardError = true, System.Collections.Concurrent.ConcurrentQueue<string>? output = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["Storage__DataDirectory"] = Path.Combine(Path.GetTempPath(), "coachbot-host-" + Guid.NewGuid().ToString("N"));
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Capture(output, e.Data);
        process.BeginOutputReadLine();
        if (readStandardError)
        {
            process.ErrorDataReceived += (_, e) => Capture(output, e.Data);
            process.BeginErrorReadLine();
        }

        return process;
    }

    private static void Capture(System.Collections.Concurrent.ConcurrentQueue<string>? output, string? line)
    {
        if (output is not null && line is not null)
        {
            output.Enqueue(line);
        }
    }
}
