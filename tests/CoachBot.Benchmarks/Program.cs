using BenchmarkDotNet.Running;

if (args is ["latency", .. var files])
{
    return CoachBot.Benchmarks.SecondOpinionLatency.Run(files);
}

BenchmarkSwitcher.FromAssembly(typeof(CoachBot.Benchmarks.CoachingBenchmarks).Assembly).Run(args);
return 0;
