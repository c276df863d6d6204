using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests;

[SetUpFixture]
public sealed class Servers : ServerLifetime;
