// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: a provider of one power domain described by a child node of
 * its own device tree node (compatible "drvlife,genpd-nested", child
 * "domain"), registered with of_genpd_add_provider_simple(), as SoC
 * controllers with one node per domain do. The domain's node has no device
 * of its own, so genpd gives the domain's device (genpd->dev) that node's
 * fwnode, and fw_devlink links genpd->dev to the provider of the node's
 * power-domains, the parent domain's. Unbinding this driver calls
 * of_genpd_del_provider(), which deletes genpd->dev with gpd_list_lock
 * held: with the driver core re-evaluating the parent's provider
 * synchronously in device_del(), its queue_sync_state() took
 * gpd_list_lock again on the same thread (issue 24, finding 2).
 *
 * The domain is freed by genpd's release() callback (patch 0015) once the
 * last reference to genpd->dev is gone; the read-only parameter "releases"
 * counts those calls, so that a test unloads the module only after them.
 */

#include <linux/atomic.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/pm_domain.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

struct nested_pd {
	struct generic_pm_domain genpd;
	struct device_node *np;
};

static atomic_t nested_releases = ATOMIC_INIT(0);

static int nested_releases_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%d\n", atomic_read(&nested_releases));
}

static const struct kernel_param_ops nested_releases_ops = {
	.get = nested_releases_get,
};
module_param_cb(releases, &nested_releases_ops, NULL, 0444);
MODULE_PARM_DESC(releases, "domains freed by their device's release");

/* The domain has no hardware: switching it always works. */
static int nested_switch(struct generic_pm_domain *genpd)
{
	return 0;
}

static void nested_release(struct generic_pm_domain *genpd)
{
	kfree(container_of(genpd, struct nested_pd, genpd));
	atomic_inc(&nested_releases);
}

static int nested_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct device_node *np;
	struct nested_pd *pd;
	int ret;

	np = of_get_child_by_name(dev->of_node, "domain");
	if (!np)
		return dev_err_probe(dev, -ENODEV, "no domain node\n");

	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd) {
		of_node_put(np);
		return -ENOMEM;
	}
	pd->np = np;
	pd->genpd.name = "drvlife-nested";
	pd->genpd.power_on = nested_switch;
	pd->genpd.power_off = nested_switch;
	ret = pm_genpd_init(&pd->genpd, NULL, false);
	if (ret) {
		kfree(pd);
		of_node_put(np);
		return ret;
	}
	/* From here on, the device's release frees the domain. */
	pd->genpd.release = nested_release;

	ret = of_genpd_add_provider_simple(np, &pd->genpd);
	if (ret) {
		pm_genpd_remove(&pd->genpd);
		of_node_put(np);
		return dev_err_probe(dev, ret, "cannot add the provider of %pOF\n", np);
	}
	platform_set_drvdata(pdev, pd);
	dev_info(dev, "provider of %pOF added\n", np);
	return 0;
}

static void nested_remove(struct platform_device *pdev)
{
	struct nested_pd *pd = platform_get_drvdata(pdev);
	struct device_node *np = pd->np;
	int ret;

	dev_info(&pdev->dev, "deleting the provider of %pOF\n", np);
	of_genpd_del_provider(np);
	ret = pm_genpd_remove(&pd->genpd);
	if (ret)
		dev_err(&pdev->dev, "domain not removed (leaked): %d\n", ret);
	dev_info(&pdev->dev, "provider of %pOF deleted\n", np);
	of_node_put(np);
}

static const struct of_device_id nested_of_match[] = {
	{ .compatible = "drvlife,genpd-nested" },
	{}
};
MODULE_DEVICE_TABLE(of, nested_of_match);

static struct platform_driver nested_driver = {
	.probe = nested_probe,
	.remove = nested_remove,
	.driver = {
		.name = "lifecycle_genpd_nested",
		.of_match_table = nested_of_match,
	},
};
module_platform_driver(nested_driver);

MODULE_DESCRIPTION("Test-only: a PM domain provider whose domain's parent is on another provider");
MODULE_LICENSE("GPL");
