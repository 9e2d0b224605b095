#!/bin/bash
# The seed: the bash loop from the original blog post (/work/shared/seed/, lines 1-18 of its listing), verbatim
# except for what a benchmark must point elsewhere:
#   - key and endpoint (placeholders in the post) come from SEED_KEY / SEED_ENDPOINT (a loopback receiver);
#   - the IMDS base URL comes from SEED_IMDS_URL (the simulator) instead of http://169.254.169.254;
#   - the post's listing wraps two lines for display (`'.Events` / `[]'` and `da` / `te`); they are joined here.
key="$SEED_KEY"
endpoint="$SEED_ENDPOINT"
for (( ; ; ))
do
   metadata=$(curl -H Metadata:true $SEED_IMDS_URL/metadata/scheduledevents?api-version=2017-08-01 | jq '.Events[]')
   if [ -z "$metadata" ]
   then
      sleep 30
      continue
   else
      event='[ {"id": "'"$RANDOM"'", "eventType": "ScheduledEvent", "subject": "metadatademo/demovm", "eventTime": "'`date +%Y-%m-%dT%H:%M:%S%z`'", "data":'"$metadata"',"dataVersion": "1.0"} ]'
      curl -X POST -H "aeg-sas-key: $key" -d "$event" $endpoint
      sleep 30
   fi
done
