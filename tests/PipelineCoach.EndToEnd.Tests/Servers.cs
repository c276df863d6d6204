using PipelineCoach.Testing;

namespace PipelineCoach.EndToEnd.Tests;

[SetUpFixture]
public sealed class Servers : ServerLifetime;
