suppressions
CREATE TABLE `suppressions` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `type` varchar(255) DEFAULT NULL,
  `address` varchar(255) DEFAULT NULL,
  `reason` varchar(255) DEFAULT NULL,
  `timestamp` decimal(18,6) DEFAULT NULL,
  `keep_until` decimal(18,6) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `on_address` (`address`(6)) USING BTREE,
  KEY `on_keep_until` (`keep_until`) USING BTREE
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
