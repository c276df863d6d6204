using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(PipelineCoach.Scoring.Benchmarks.ScoringEngineBenchmarks).Assembly).Run(args);
