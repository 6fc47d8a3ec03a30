using System.Text.Json.Serialization;

namespace DagRunner.Clients.Yarn;

internal sealed record YarnAppAnswer([property: JsonRequired] YarnApp App);
