using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests;

[SetUpFixture]
public sealed class Servers : ServerLifetime;
