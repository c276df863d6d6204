using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests;

[SetUpFixture]
public sealed class Servers : ServerLifetime;
