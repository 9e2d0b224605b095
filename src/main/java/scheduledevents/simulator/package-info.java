/**
 * A loopback stand-in for the Azure Instance Metadata Service (Scheduled Events and instance/compute), used by the
 * agent's {@code --demo} and {@code --simulate} modes, end-to-end tests and benchmarks. Entry points:
 * {@link scheduledevents.simulator.ImdsSimulator} (programmatic control), {@link scheduledevents.simulator.Scenario}
 * (scripted event lifecycles) and {@link scheduledevents.simulator.SimulatorCommand} (command line). See
 * {@code docs/simulator.md}.
 */
package scheduledevents.simulator;
