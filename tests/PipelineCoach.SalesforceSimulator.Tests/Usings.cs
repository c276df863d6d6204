global using NUnit.Framework;
global using PipelineCoach.SalesforceSimulator;
