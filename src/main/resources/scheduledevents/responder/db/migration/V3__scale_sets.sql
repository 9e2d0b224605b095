-- The platform topic's scale sets (issue 15). One SQL set for H2 (MODE=PostgreSQL) and PostgreSQL.

-- For a VM the platform topic reported through its scale set: the scale set's resource id as received
-- (.../providers/Microsoft.Compute/virtualMachineScaleSets/NAME), where Azure's Maintenance resource provider
-- acknowledges the event (once for all its VMs); null for every other VM.
alter table fleet_vm add column scale_set_id varchar(1024);

-- V1 said "'' for the platform topic"; since the platform publishes one notification per VM or scale set of an
-- event, its reports are keyed by the resource they were published on.
comment on column fleet_report.reporter is 'the reporting VM''s key; for the platform topic the resource id the notification was published on, lower case ('''' when it names none)';
