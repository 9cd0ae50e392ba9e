using Yunlu.Server;

// Direct runs (`dotnet run --project src/Yunlu.Server`): options from the "Yunlu" configuration section
// (appsettings.json, Yunlu__* environment variables, --Yunlu:DataFolder=… arguments). `yunlu serve` is the usual way.
var app = YunluServer.BuildApp(YunluServer.CreateBuilder(new YunluServerOptions(), args, bindConfiguration: true));
await app.RunAsync().ConfigureAwait(false);
