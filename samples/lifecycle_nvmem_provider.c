// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: a platform nvmem provider with a slow reg_read(), for the test
 * that unbinds it under in-kernel consumers (seed 004). C because 7.3's
 * Rust has no nvmem provider abstraction.
 *
 * Loading the module registers the platform device "drvlife-nvmem" and its
 * driver. Each binding registers a managed nvmem device "drvlife-nvmemN"
 * (NVMEM_DEVID_AUTO: a consumer may keep an earlier binding's device
 * registered) of NVMEM_SIZE read-only bytes, each the binding's generation
 * (1 at the first probe). reg_read() sleeps read_ms, as a transfer on a
 * slow bus would, then copies from the binding's buffer. The buffer is
 * devres memory, freed at unbind right after the nvmem device is
 * unregistered: a call that outlives the binding reads freed memory.
 *
 * With keepout=1 the device has one keepout region (bytes KEEPOUT_START to
 * KEEPOUT_END read as KEEPOUT_VALUE), whose table is devres memory of the
 * binding too, as a driver that builds it at probe would have it.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/nvmem-consumer.h>
#include <linux/nvmem-provider.h>
#include <linux/platform_device.h>
#include <linux/string.h>

#define PROVIDER_NAME "drvlife-nvmem"
#define NVMEM_SIZE 16

static unsigned int read_ms = 2000;
module_param(read_ms, uint, 0644);
MODULE_PARM_DESC(read_ms, "How long each reg_read() sleeps before it copies");

static bool keepout;
module_param(keepout, bool, 0444);
MODULE_PARM_DESC(keepout, "Give the device one keepout region, its table in devres memory");

#define KEEPOUT_START 2
#define KEEPOUT_END 4
#define KEEPOUT_VALUE 0xee

static atomic_t generation = ATOMIC_INIT(0);
static struct platform_device *provider_pdev;

/* One binding's memory: devres, freed at unbind. */
struct provider_data {
	u8 bytes[NVMEM_SIZE];
};

static int provider_reg_read(void *priv, unsigned int offset, void *val, size_t bytes)
{
	struct provider_data *data = priv;
	unsigned int ms = READ_ONCE(read_ms);

	/* Tells a test that a read is in flight. */
	pr_info(PROVIDER_NAME ": reg_read of %zu bytes sleeps %u ms\n", bytes, ms);
	msleep(ms);
	memcpy(val, data->bytes + offset, bytes);
	return 0;
}

static int provider_probe(struct platform_device *pdev)
{
	struct nvmem_config config = {
		.dev = &pdev->dev,
		.name = PROVIDER_NAME,
		.id = NVMEM_DEVID_AUTO,
		.owner = THIS_MODULE,
		.read_only = true,
		.size = NVMEM_SIZE,
		.reg_read = provider_reg_read,
	};
	struct provider_data *data;
	struct nvmem_device *nvmem;
	int gen;

	/* Before the nvmem device: devres frees it after the unregister. */
	data = devm_kzalloc(&pdev->dev, sizeof(*data), GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	gen = atomic_inc_return(&generation);
	memset(data->bytes, gen, sizeof(data->bytes));
	config.priv = data;

	if (keepout) {
		static const struct nvmem_keepout region = {
			.start = KEEPOUT_START,
			.end = KEEPOUT_END,
			.value = KEEPOUT_VALUE,
		};

		/* Before the nvmem device, like the data: freed after the unregister. */
		config.keepout = devm_kmemdup(&pdev->dev, &region, sizeof(region), GFP_KERNEL);
		if (!config.keepout)
			return -ENOMEM;
		config.nkeepout = 1;
	}

	nvmem = devm_nvmem_register(&pdev->dev, &config);
	if (IS_ERR(nvmem))
		return PTR_ERR(nvmem);
	dev_info(&pdev->dev, "binding %d registered %s\n", gen, nvmem_dev_name(nvmem));
	return 0;
}

static struct platform_driver provider_driver = {
	.probe = provider_probe,
	.driver = {
		.name = PROVIDER_NAME,
	},
};

static int __init provider_init(void)
{
	int ret;

	provider_pdev = platform_device_register_simple(PROVIDER_NAME, PLATFORM_DEVID_NONE,
							NULL, 0);
	if (IS_ERR(provider_pdev))
		return PTR_ERR(provider_pdev);
	ret = platform_driver_register(&provider_driver);
	if (ret)
		platform_device_unregister(provider_pdev);
	return ret;
}

static void __exit provider_exit(void)
{
	platform_driver_unregister(&provider_driver);
	platform_device_unregister(provider_pdev);
}

module_init(provider_init);
module_exit(provider_exit);
MODULE_DESCRIPTION("Test-only: a platform nvmem provider with a slow reg_read()");
MODULE_LICENSE("GPL");
