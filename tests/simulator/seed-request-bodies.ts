/**
 * The request bodies of shared/seeds/ca-api-activation-key-owner.txt, verbatim (the files the
 * seed's curl samples send with --data-binary).
 */

export const CREATE_ACTIVATION_XML = `<?xml version="1.0" encoding="UTF-8"?>
<ServiceRequest>
    <data>
        <AgentActKey>
            <title>Owner</title>
            <countPurchased>0</countPurchased>
            <type>UNLIMITED</type>
            <ownerId>364812443</ownerId>
            <modules>
                <list>
                    <ActivationKeyModule>
                        <license>PC_LICENSE</license>
                    </ActivationKeyModule>
                </list>
            </modules>
        </AgentActKey>
    </data>
</ServiceRequest>
`;

export const UPDATE_ACTIVATION_XML = `<?xml version="1.0" encoding="UTF-8"?>
<ServiceRequest>
   <data>
      <AgentActKey>
         <id>3617002</id>
         <title>Update from APIfim owner1</title>
          <status>ACTIVE</status>
         <countPurchased>1</countPurchased>
         <expireDate>2021-12-06T23:05:42Z</expireDate>
         <type>UNLIMITED</type>
         <ownerId>364812443</ownerId>
         <isDisabled>false</isDisabled>
         <modules>
            <list>
               <ActivationKeyModule>
                  <license>FIM</license>
               </ActivationKeyModule>
            </list>
         </modules>
          <tags>
            <list>
               <Tag>
                  <id>103180087</id>
                  <name>Tag2</name>
               </Tag>
            </list>
         </tags>
         <agents>
            <list />
         </agents>
      </AgentActKey>
   </data>
</ServiceRequest>
`;

export const GET_ALL_KEYS_XML = `<?xml version="1.0" encoding="UTF-8" ?>
<ServiceRequest>
</ServiceRequest>
`;
