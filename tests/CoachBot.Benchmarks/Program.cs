using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(CoachBot.Benchmarks.CoachingBenchmarks).Assembly).Run(args);
