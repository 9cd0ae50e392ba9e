using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "warframe") return Yunlu.Benchmarks.RoutingWarframe.Run(args[1..]);
if (args.Length > 0 && args[0] == "ops-index") return Yunlu.Benchmarks.OperationsIndexBench.Run(args[1..]);
if (args.Length > 0 && args[0] == "ops-http") return Yunlu.Benchmarks.OperationsHttpBench.Run(args[1..]);
if (args.Length > 0 && args[0] == "supervise-e2e") return Yunlu.Benchmarks.SupervisionE2e.Run(args[1..]);
if (args.Length > 0 && args[0] == "supervision-cpu") return Yunlu.Benchmarks.SupervisionChecksCpu.Run(args[1..]);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
