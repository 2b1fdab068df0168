namespace LogQueue.CrashHelper;

/// <summary>Which record of which run this is; every byte of the record follows from it.</summary>
/// <param name="Run">The helper run that appended it (<see cref="AppendWorkload.Run"/>).</param>
/// <param name="Appender">The appender, 0 to <see cref="AppendWorkload.Appenders"/> - 1.</param>
/// <param name="Counter">The appender's own record number, from 0.</param>
/// <param name="Length">The body length.</param>
public readonly record struct RecordIdentity(int Run, int Appender, long Counter, int Length);
