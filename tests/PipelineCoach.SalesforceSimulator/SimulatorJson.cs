using System.Text.Json.Serialization;

namespace PipelineCoach.SalesforceSimulator;

[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
internal sealed partial class SimulatorJson : JsonSerializerContext;
