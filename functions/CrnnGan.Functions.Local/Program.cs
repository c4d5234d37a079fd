using CrnnGan.Functions.Hosting;

// `dotnet run` of the Functions project itself starts Core Tools (the Worker SDK's run target); this project serves
// the same functions without them, as the app's own --local mode does from a published folder.
await LocalServer.RunAsync(args);
