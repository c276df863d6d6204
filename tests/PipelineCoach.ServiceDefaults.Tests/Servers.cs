using PipelineCoach.Testing;

namespace PipelineCoach.ServiceDefaults.Tests;

[SetUpFixture]
public sealed class Servers : ServerLifetime;
