organizations
CREATE TABLE `organizations` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `uuid` varchar(255) DEFAULT NULL,
  `name` varchar(255) DEFAULT NULL,
  `permalink` varchar(255) DEFAULT NULL,
  `time_zone` varchar(255) DEFAULT NULL,
  `created_at` datetime(6) DEFAULT NULL,
  `updated_at` datetime(6) DEFAULT NULL,
  `ip_pool_id` int(11) DEFAULT NULL,
  `owner_id` int(11) DEFAULT NULL,
  `deleted_at` datetime(6) DEFAULT NULL,
  `suspended_at` datetime(6) DEFAULT NULL,
  `suspension_reason` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `index_organizations_on_permalink` (`permalink`(8)),
  KEY `index_organizations_on_uuid` (`uuid`(8))
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
