using Yunlu.Cli;

return await YunluCli.RunAsync(args, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
