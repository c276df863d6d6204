using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests;

[SetUpFixture]
public sealed class Servers : ServerLifetime;
